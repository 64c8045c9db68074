package io.hemolink.order;

import io.hemolink.common.testing.ServiceBasicsTest;
import io.hemolink.infra.InfraTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The order service on real PostgreSQL (database {@code orders}) and Kafka. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class OrderServiceTest extends ServiceBasicsTest {

    @Override
    protected String serviceName() {
        return "order";
    }
}
