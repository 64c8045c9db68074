package io.hemolink.fhir;

import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Resource;

import java.util.List;

/** A search's answer: a {@code searchset} Bundle of the matches, with its own and the next page's link. */
public final class SearchBundles {

    private SearchBundles() {
    }

    /**
     * @param base    the absolute base of the facade ({@code http://host/fhir/r5}), for each entry's {@code fullUrl}
     * @param self    the search as asked (absolute URL)
     * @param matches the resources of this page, each with its logical id set
     * @param next    the next page's URL, or null on the last page
     */
    public static Bundle searchset(String base, String self, List<? extends Resource> matches, String next) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        if (next == null) {
            bundle.setTotal(matches.size());
        }
        bundle.addLink().setRelation(Bundle.LinkRelationTypes.SELF).setUrl(self);
        if (next != null) {
            bundle.addLink().setRelation(Bundle.LinkRelationTypes.NEXT).setUrl(next);
        }
        for (Resource r : matches) {
            bundle.addEntry().setFullUrl(base + "/" + r.fhirType() + "/" + r.getIdPart()).setResource(r)
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        return bundle;
    }
}
