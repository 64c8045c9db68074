package io.hemolink.gateway;

import io.smallrye.stork.Stork;
import io.smallrye.stork.api.Service;
import io.smallrye.stork.api.ServiceDefinition;
import io.smallrye.stork.api.ServiceInstance;
import io.smallrye.stork.loadbalancer.leastresponsetime.LeastResponseTimeConfiguration;
import io.smallrye.stork.servicediscovery.staticlist.StaticConfiguration;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The instances behind each route (api.md, "Running more than one of each"; ADR 0036): SmallRye Stork, with the
 * route's URLs as a static list and its least-response-time load balancer, chooses the instance of every call; the
 * balancer scores each instance by its recent response times and penalises one that failed, so calls spread across the
 * healthy instances and leave one that is down. A call whose connection is refused (an instance killed, restarting) is
 * recorded as that instance's failure and tried on the next instance not yet tried, before anything was sent, so the
 * caller sees no error while one instance of a service is left.
 */
@ApplicationScoped
public class Upstreams {

    private static final Logger LOG = Logger.getLogger(Upstreams.class);

    @Inject
    GatewayConfig config;

    private final Map<String, Service> services = new ConcurrentHashMap<>();

    /** The Stork service of a route: its URLs as a static list, chosen by least response time. */
    Service service(String route) {
        return services.computeIfAbsent(route, name -> {
            GatewayConfig.Route r = config.routes().get(name);
            if (r == null) {
                throw new IllegalArgumentException("no route " + name);
            }
            String addresses = r.url().stream().map(u -> u.getHost() + ":" + port(u)).collect(Collectors.joining(","));
            // Stork's registry outlives an application restart in one JVM (tests): a name of this bean's own
            String storkName = "hemolink-" + name + "-" + Integer.toHexString(System.identityHashCode(this));
            Stork.getInstance().defineIfAbsent(storkName, ServiceDefinition.of(
                    new StaticConfiguration().withAddressList(addresses).withShuffle("true"),
                    new LeastResponseTimeConfiguration()));
            LOG.infof("route %s: instances %s", name, addresses);
            return Stork.getInstance().getService(storkName);
        });
    }

    /**
     * A request to an instance of {@code route} (host and port of {@code options} are set here): the instance the
     * balancer picks, or, when its connection fails, the next one not yet tried. The instance's statistics record the
     * reply (its response time) and a failure.
     */
    public Future<HttpClientRequest> request(String route, HttpClient client, RequestOptions options) {
        Service service = service(route);
        return Future.fromCompletionStage(service.getInstances().subscribeAsCompletionStage())
                .compose(all -> attempt(service, client, options, new ArrayList<>(all)));
    }

    private Future<HttpClientRequest> attempt(Service service, HttpClient client, RequestOptions options,
                                              List<ServiceInstance> untried) {
        if (untried.isEmpty()) {
            return Future.failedFuture("no instance of " + service.getServiceName() + " accepts connections");
        }
        ServiceInstance instance = service.selectInstanceAndRecordStart(untried, true);
        untried.removeIf(i -> i.getId() == instance.getId()); // the balancer hands out its own wrappers
        return client.request(new RequestOptions(options).setHost(instance.getHost()).setPort(instance.getPort()))
                .map(request -> {
                    request.response().onComplete(response -> {
                        if (response.succeeded()) {
                            instance.recordReply();
                            instance.recordEnd(null);
                        } else {
                            instance.recordEnd(response.cause());
                        }
                    });
                    return request;
                })
                .recover(failure -> {
                    instance.recordEnd(failure);
                    LOG.debugf("%s at %s:%d refused the connection (%s); trying another instance",
                            service.getServiceName(), instance.getHost(), instance.getPort(), failure.getMessage());
                    return attempt(service, client, options, untried);
                });
    }

    static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : 80;
    }
}
