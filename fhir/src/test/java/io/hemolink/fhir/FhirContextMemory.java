package io.hemolink.fhir;

import org.hl7.fhir.r5.model.BiologicallyDerivedProduct;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Quantity;
import org.hl7.fhir.r5.model.SupplyRequest;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the R5 FhirContext costs a process (ADR 0032, "Memory"): live heap after full GCs and Metaspace, before and
 * after creating it and a first encode and parse of each type the facade serves; RSS from /proc/self/status. Not a
 * test; run it with the services' JVM flags on the module's test class path:
 * {@code java -XX:TieredStopAtLevel=1 -Xmx256m -cp <test class path> io.hemolink.fhir.FhirContextMemory}.
 */
public final class FhirContextMemory {

    private FhirContextMemory() {
    }

    public static void main(String[] args) throws Exception {
        long heap0 = liveHeap();
        long meta0 = metaspace();
        long rss0 = rss();
        var ctx = Fhir.context();
        long heap1 = liveHeap();
        BiologicallyDerivedProduct p = new BiologicallyDerivedProduct();
        p.setId("G123498654321H-RBC");
        p.addIdentifier().setSystem(FhirSystems.DIN).setValue("G123498654321");
        p.addProperty().setType(new CodeableConcept(new Coding(FhirSystems.PRODUCT_PROPERTY, "irradiated", null)))
                .setValue(new BooleanType(true));
        SupplyRequest s = new SupplyRequest();
        s.setId("x-1");
        s.setQuantity(new Quantity().setValue(2));
        var dispense = new org.hl7.fhir.r5.model.BiologicallyDerivedProductDispense();
        dispense.setId("G123498654321H-RBC");
        dispense.setStatus(org.hl7.fhir.r5.model.BiologicallyDerivedProductDispense.BiologicallyDerivedProductDispenseCodes.ISSUED);
        dispense.setProduct(new org.hl7.fhir.r5.model.Reference("BiologicallyDerivedProduct/G123498654321H-RBC"));
        var delivery = new org.hl7.fhir.r5.model.SupplyDelivery();
        delivery.setId("CK20261201-000001");
        delivery.addSuppliedItem().setItem(new org.hl7.fhir.r5.model.Reference("BiologicallyDerivedProduct/G123498654321H-RBC"))
                .setQuantity(new Quantity().setValue(1));
        Bundle b = SearchBundles.searchset("http://h/fhir/r5", "http://h/fhir/r5/X",
                java.util.List.of(p, s, dispense, delivery), null);
        OperationOutcome o = OperationOutcomes.of(404, "NOT_FOUND", "Not found", "x", null);
        String json = Fhir.json(b) + Fhir.json(o) + Fhir.json(HemolinkCapability.statement("http://h/fhir/r5"));
        ctx.newJsonParser().parseResource(SupplyRequest.class, Fhir.json(s));
        ctx.newJsonParser().parseResource(Bundle.class, Fhir.json(b));
        long heap2 = liveHeap();
        long meta2 = metaspace();
        long rss2 = rss();
        System.out.printf("FhirContext R5: live heap +%.1f MB after creation, +%.1f MB after first use; Metaspace +%.1f MB;"
                        + " RSS +%.1f MB (%d characters written)%n", (heap1 - heap0) / 1e6, (heap2 - heap0) / 1e6,
                (meta2 - meta0) / 1e6, (rss2 - rss0) / 1e6, json.length());
    }

    private static long liveHeap() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long metaspace() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(m -> m.getName().equals("Metaspace"))
                .mapToLong(m -> m.getUsage().getUsed()).findFirst().orElse(-1);
    }

    private static long rss() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        return -1;
    }
}
