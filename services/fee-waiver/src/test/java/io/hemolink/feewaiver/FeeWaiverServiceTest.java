package io.hemolink.feewaiver;

import io.hemolink.common.testing.ServiceBasicsTest;
import io.hemolink.infra.InfraTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The fee-waiver service on real PostgreSQL (database {@code fee_waiver}) and Kafka. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "fee_waiver"))
class FeeWaiverServiceTest extends ServiceBasicsTest {

    @Override
    protected String serviceName() {
        return "fee-waiver";
    }
}
