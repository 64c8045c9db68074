package io.hemolink.inventory;

import io.hemolink.common.testing.ServiceBasicsTest;
import io.hemolink.infra.InfraTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The inventory service on real PostgreSQL (database {@code inventory}) and Kafka. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class InventoryServiceTest extends ServiceBasicsTest {

    @Override
    protected String serviceName() {
        return "inventory";
    }
}
