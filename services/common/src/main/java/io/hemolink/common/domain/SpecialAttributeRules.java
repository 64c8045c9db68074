package io.hemolink.common.domain;

import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RedCellAntigens;
import io.hemolink.contracts.blood.Requirements;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * The checks every service makes of special attributes or requirements as given (a release's attributes, an order
 * line's requirements): antigens from the station's list ({@code hemolink.red-cell-antigens}, 422
 * {@code ANTIGEN_UNKNOWN}) and only what the component can have ({@link Requirements#notApplicable}, 422 with the
 * caller's code).
 */
@ApplicationScoped
public class SpecialAttributeRules {

    @ConfigProperty(name = "hemolink.red-cell-antigens")
    List<String> antigens;

    /**
     * @param field             where the values stand in the request ("" at the top, "lines[2]." in a line)
     * @param notApplicableCode the code of a value the component cannot have, in the caller's words
     */
    public void check(Component component, boolean irradiated, boolean cmvNegative, List<String> antigenNegative,
                      String field, String notApplicableCode) {
        String unknown = RedCellAntigens.firstUnknown(antigenNegative, antigens);
        if (unknown != null) {
            throw DomainException.invalid("ANTIGEN_UNKNOWN", "unknown antigen " + unknown + "; known: "
                    + String.join(" ", antigens), field + "antigenNegative");
        }
        String notApplicable = Requirements.notApplicable(component, irradiated, cmvNegative, antigenNegative);
        if (notApplicable != null) {
            throw DomainException.invalid(notApplicableCode, component + " is never " + notApplicable,
                    field + notApplicable);
        }
    }
}
