package io.hemolink.fhir;

/**
 * The code systems and identifier systems of the facade (api.md, "FHIR R5 facade"): ISBT 128's and HL7's where they
 * exist, Hemolink's own under {@code https://hemolink.io/fhir/CodeSystem/} otherwise.
 */
public final class FhirSystems {

    /** The DIN (13 data characters) as identifier and biological source event of a product. */
    public static final String DIN = "https://www.isbt128.org/uri/DonationIdentificationNumber";
    /** The ISBT 128 product description code (e.g. {@code E0336}). */
    public static final String PRODUCT_CODE = "https://www.isbt128.org/uri/ProductDescriptionCode";

    private static final String OURS = "https://hemolink.io/fhir/CodeSystem/";
    /** Hemolink's component codes ({@code RBC}, {@code FFP}...). */
    public static final String COMPONENT = OURS + "component";
    /** The parameters of an order line ({@code abo rhd allowSubstitution irradiated cmvNegative...}). */
    public static final String ORDER_PARAMETER = OURS + "order-parameter";
    /** The properties of a product ({@code abo rhd irradiated cmvNegative lowTitre antigenNegative volume status}). */
    public static final String PRODUCT_PROPERTY = OURS + "product-property";
    /** ABO groups: {@code O A B AB}. */
    public static final String ABO = OURS + "abo";
    /** RhD: {@code POS NEG}. */
    public static final String RHD = OURS + "rhd";
    /** Red-cell antigens a unit was typed negative for ({@code K}, {@code Fya}...). */
    public static final String ANTIGEN = OURS + "red-cell-antigen";
    /** Hemolink's unit status ({@code AVAILABLE RESERVED IN_TRANSIT...}), beside HL7's coarser product status. */
    public static final String UNIT_STATUS = OURS + "unit-status";
    /** The stable problem codes of api.md ({@code DIN_INVALID}...) in an OperationOutcome issue's details. */
    public static final String PROBLEM = OURS + "problem";

    /** The order an order line (SupplyRequest) or a delivery belongs to, as an identifier. */
    public static final String ORDER = "https://hemolink.io/fhir/NamingSystem/order";
    /** The issue note (出库单) number of a dispatch, as the identifier of its SupplyDelivery. */
    public static final String ISSUE_NOTE = "https://hemolink.io/fhir/NamingSystem/issue-note";
    /**
     * A location's own patient references (medical record number, bed and ward...), one system per location:
     * {@code https://hemolink.io/fhir/NamingSystem/patient-ref/H001}. Never a resident ID number (api.md).
     */
    public static final String PATIENT_REF = "https://hemolink.io/fhir/NamingSystem/patient-ref/";

    /** HL7's product category ({@code cells fluid...}) and product status ({@code available unavailable}). */
    public static final String HL7_PRODUCT_CATEGORY = "http://hl7.org/fhir/product-category";
    public static final String HL7_PRODUCT_STATUS = "http://hl7.org/fhir/biologicallyderived-product-status";
    /** HL7's dispense status ({@code issued...}), supply delivery status and supply item type. */
    public static final String HL7_DISPENSE_STATUS = "http://hl7.org/fhir/biologicallyderivedproductdispense-status";
    public static final String HL7_SUPPLY_DELIVERY_STATUS = "http://hl7.org/fhir/supplydelivery-status";
    public static final String HL7_SUPPLY_ITEM_TYPE = "http://hl7.org/fhir/supplydelivery-supplyitemtype";
    /** UCUM, for quantities (mL, Cel). */
    public static final String UCUM = "http://unitsofmeasure.org";

    private FhirSystems() {
    }

    /** The system of {@code locationId}'s own patient references. */
    public static String patientRefs(String locationId) {
        return PATIENT_REF + locationId;
    }

    /**
     * The logical id of a unit's BiologicallyDerivedProduct: the canonical 14-character DIN, the component
     * ({@code _} written {@code .}, FHIR ids have no underscore) and the division when there is one, e.g.
     * {@code G123498654321H-RBC.LR-A1}. Here because the inventory serves the product and other services refer to it.
     */
    public static String productId(String din, String component, String division) {
        return din + "-" + component.replace('_', '.') + (division == null || division.isEmpty() ? "" : "-" + division);
    }
}
