package io.hemolink.e2e;

import io.hemolink.infra.DemoActivity;
import io.hemolink.infra.DemoData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The living demo of {@code up.sh} does the region's work through the gateway as real callers would: 120 steps
 * release, order, dispatch, receive, transfuse, report temperatures, record donations and waive fees, and the
 * platform refuses none of them (the invariants after the test check that the stock picture stayed consistent).
 */
@ExtendWith(Platform.class)
class DemoActivityTest {

    @Test
    void theDemoDoesEveryKindOfWorkAndNothingIsRefused() throws Exception {
        new DemoData(Platform.API, Platform.TOKEN_URL).registerLocations(Platform.token("dispatcher"));
        DemoActivity demo = new DemoActivity(Platform.API, Platform.TOKEN_URL, 20261201L);
        for (int i = 0; i < 120; i++) {
            demo.step();
            Thread.sleep(50); // allocation is asynchronous: let orders be allocated between the steps
        }
        Map<DemoActivity.Kind, Integer> done = demo.done();
        System.out.println("[e2e] " + demo.summary());
        for (DemoActivity.Kind kind : List.of(DemoActivity.Kind.RELEASE, DemoActivity.Kind.ORDER,
                DemoActivity.Kind.DISPATCH, DemoActivity.Kind.RECEIPT, DemoActivity.Kind.TRANSFUSION,
                DemoActivity.Kind.READINGS, DemoActivity.Kind.DONATION)) {
            assertTrue(done.getOrDefault(kind, 0) > 0, kind + " never happened: " + demo.summary());
        }
        assertEquals(Map.of(), demo.refused(), "the platform refused demo work: " + demo.summary());
    }
}
