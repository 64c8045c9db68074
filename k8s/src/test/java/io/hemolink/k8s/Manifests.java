package io.hemolink.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/** Reads the manifests of k8s/ and the sources they deploy, from the module's directory (the build runs tests there). */
final class Manifests {

    static final Path K8S = Path.of("").toAbsolutePath();
    static final Path ROOT = K8S.getParent();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));
    static final ObjectMapper JSON = new ObjectMapper();

    /** The services with a database, as their module directories name them. */
    static final List<String> SERVICES = List.of("inventory", "order", "storage-point", "fee-waiver", "notification");

    private Manifests() {
    }

    /** Every object of one manifest file (a YAML stream of documents), in order. */
    static List<JsonNode> objects(String relativeToK8s) {
        Path file = K8S.resolve(relativeToK8s);
        List<JsonNode> out = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    out.add(n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
        return out;
    }

    /** Every object of the base's manifests and both overlays' own files, of one kind. */
    static List<JsonNode> ofKind(String kind, String... files) {
        return Stream.of(files).flatMap(f -> objects(f).stream()).filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    /** A service's application.properties (services/X or gateway), lines in order, profile lines kept as written. */
    static Map<String, String> applicationProperties(String service) {
        Path file = ROOT.resolve(service.equals("gateway") ? "gateway" : "services/" + service)
                .resolve("src/main/resources/application.properties");
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    static Map<String, String> properties(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }
}
