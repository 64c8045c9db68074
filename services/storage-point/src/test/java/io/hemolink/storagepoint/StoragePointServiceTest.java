package io.hemolink.storagepoint;

import io.hemolink.common.testing.ServiceBasicsTest;
import io.hemolink.infra.InfraTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The storage-point service on real PostgreSQL (database {@code storage_point}) and Kafka. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "storage_point"))
class StoragePointServiceTest extends ServiceBasicsTest {

    @Override
    protected String serviceName() {
        return "storage-point";
    }
}
