package io.hemolink.contracts.compat;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.BloodGroup;
import io.hemolink.contracts.blood.ProductClass;
import io.hemolink.contracts.blood.RhD;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The ABO/RhD substitution rules as versioned data: which donor groups a patient may receive, in preference order.
 * The default table is {@code compatibility-v1.tsv} (domain.md); a station may load its own with {@link #load}.
 * RhD: an RhD-negative patient gets RhD-negative red cells and platelets only; an RhD-positive patient takes either,
 * RhD-positive first so that RhD-negative stock stays for RhD-negative patients; plasma and cryo ignore RhD.
 */
public final class CompatibilityTable {

    /** One donor ABO choice; {@code lowTitreOnly} where the table allows it only for low-titre units. */
    public record Choice(Abo abo, boolean lowTitreOnly) {
    }

    /** One donor group for a patient, and whether only low-titre bags of it may be given. */
    public record DonorOption(BloodGroup group, boolean lowTitreOnly) {
    }

    private final String version;
    private final Map<ProductClass, Map<Abo, List<Choice>>> rows;
    private final Map<ProductClass, List<Choice>> unknownPatient;

    private CompatibilityTable(String version, Map<ProductClass, Map<Abo, List<Choice>>> rows,
                               Map<ProductClass, List<Choice>> unknownPatient) {
        this.version = version;
        this.rows = rows;
        this.unknownPatient = unknownPatient;
    }

    private static final CompatibilityTable DEFAULTS = loadResource("compatibility-v1.tsv");

    public static CompatibilityTable defaults() {
        return DEFAULTS;
    }

    private static CompatibilityTable loadResource(String name) {
        try (InputStream in = CompatibilityTable.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a table: lines {@code version<TAB>id}, and {@code PRODUCT_CLASS<TAB>PATIENT_ABO|UNKNOWN<TAB>choices}
     * with choices separated by spaces ({@code ~} suffix = low-titre only); {@code #} starts a comment. Every product
     * class needs a row for every patient ABO and for UNKNOWN.
     */
    public static CompatibilityTable load(Reader reader) throws IOException {
        String version = null;
        Map<ProductClass, Map<Abo, List<Choice>>> rows = new EnumMap<>(ProductClass.class);
        Map<ProductClass, List<Choice>> unknown = new EnumMap<>(ProductClass.class);
        BufferedReader in = new BufferedReader(reader);
        int lineNo = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] cols = l.split("\t");
            if (cols[0].equals("version") && cols.length == 2) {
                version = cols[1].strip();
                continue;
            }
            if (cols.length != 3) {
                throw new IllegalArgumentException("line " + lineNo + ": expected 3 tab-separated columns");
            }
            ProductClass pc = ProductClass.valueOf(cols[0].strip());
            List<Choice> choices = new ArrayList<>();
            for (String c : cols[2].strip().split(" +")) {
                boolean low = c.endsWith("~");
                choices.add(new Choice(Abo.valueOf(low ? c.substring(0, c.length() - 1) : c), low));
            }
            if (cols[1].strip().equals("UNKNOWN")) {
                unknown.put(pc, List.copyOf(choices));
            } else {
                rows.computeIfAbsent(pc, k -> new EnumMap<>(Abo.class)).put(Abo.valueOf(cols[1].strip()), List.copyOf(choices));
            }
        }
        if (version == null) {
            throw new IllegalArgumentException("the table has no version line");
        }
        for (ProductClass pc : ProductClass.values()) {
            for (Abo abo : Abo.values()) {
                if (!rows.containsKey(pc) || !rows.get(pc).containsKey(abo)) {
                    throw new IllegalArgumentException("no row for " + pc + " and patient " + abo);
                }
            }
            if (!unknown.containsKey(pc)) {
                throw new IllegalArgumentException("no row for " + pc + " and an unknown patient group");
            }
        }
        return new CompatibilityTable(version, rows, unknown);
    }

    public String version() {
        return version;
    }

    /** Donor ABO choices for a patient, first choice first. */
    public List<Choice> aboChoices(ProductClass productClass, Abo patient) {
        return rows.get(productClass).get(patient);
    }

    /** Donor ABO choices when the patient's group is not known yet (emergency). */
    public List<Choice> aboChoicesForUnknownPatient(ProductClass productClass) {
        return unknownPatient.get(productClass);
    }

    /** Donor ABO groups for a patient, first choice first. */
    public List<Abo> donorAboChoices(ProductClass productClass, Abo patient) {
        return aboChoices(productClass, patient).stream().map(Choice::abo).toList();
    }

    /**
     * Donor groups (ABO and RhD) for a patient, first choice first: the ABO order of the table, with the RhD rule
     * applied (see the class comment).
     */
    public List<BloodGroup> donorChoices(ProductClass productClass, BloodGroup patient) {
        return withRhD(productClass, donorAboChoices(productClass, patient.abo()), patient.rhd());
    }

    /** Donor groups for a patient whose group is unknown: RhD-negative first for red cells and platelets. */
    public List<BloodGroup> donorChoicesForUnknownPatient(ProductClass productClass) {
        return unknownOrder(productClass, aboChoicesForUnknownPatient(productClass).stream().map(Choice::abo).toList());
    }

    /**
     * Donor groups for a patient with the low-titre rule of the table: the same order as {@link #donorChoices}, each
     * marked where only low-titre bags of that group may be given. An allocator or an issue check must honour it.
     */
    public List<DonorOption> donorOptions(ProductClass productClass, BloodGroup patient) {
        List<Choice> choices = aboChoices(productClass, patient.abo());
        return donorChoices(productClass, patient).stream()
                .map(g -> new DonorOption(g, choices.stream().anyMatch(c -> c.abo() == g.abo() && c.lowTitreOnly())))
                .toList();
    }

    /**
     * Whether a bag of {@code donor} may go to {@code patient}: where the table allows the donor group only as
     * low-titre, the bag must be low-titre.
     */
    public boolean compatible(ProductClass productClass, BloodGroup donor, boolean donorLowTitre, BloodGroup patient) {
        return donorOptions(productClass, patient).stream()
                .anyMatch(o -> o.group().equals(donor) && (!o.lowTitreOnly() || donorLowTitre));
    }

    /** Whether a bag of {@code donor} that is not low-titre may go to {@code patient}. */
    public boolean compatible(ProductClass productClass, BloodGroup donor, BloodGroup patient) {
        return compatible(productClass, donor, false, patient);
    }

    private static List<BloodGroup> unknownOrder(ProductClass productClass, List<Abo> abos) {
        List<BloodGroup> out = new ArrayList<>();
        if (productClass == ProductClass.PLASMA) {
            abos.forEach(a -> {
                out.add(BloodGroup.of(a, RhD.POS));
                out.add(BloodGroup.of(a, RhD.NEG));
            });
            return List.copyOf(out);
        }
        // unknown RhD: RhD-negative is safe for everyone, so it comes first
        abos.forEach(a -> out.add(BloodGroup.of(a, RhD.NEG)));
        abos.forEach(a -> out.add(BloodGroup.of(a, RhD.POS)));
        return List.copyOf(out);
    }

    private static List<BloodGroup> withRhD(ProductClass productClass, List<Abo> abos, RhD patientRhd) {
        List<BloodGroup> out = new ArrayList<>();
        if (productClass == ProductClass.PLASMA) {
            for (Abo a : abos) {
                out.add(BloodGroup.of(a, patientRhd));
                out.add(BloodGroup.of(a, patientRhd == RhD.POS ? RhD.NEG : RhD.POS));
            }
        } else if (patientRhd == RhD.NEG) {
            abos.forEach(a -> out.add(BloodGroup.of(a, RhD.NEG)));
        } else {
            abos.forEach(a -> out.add(BloodGroup.of(a, RhD.POS)));
            abos.forEach(a -> out.add(BloodGroup.of(a, RhD.NEG)));
        }
        return List.copyOf(out);
    }
}
