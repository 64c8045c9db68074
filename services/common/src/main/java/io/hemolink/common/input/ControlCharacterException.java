package io.hemolink.common.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A JSON string holds a character {@link TextRules} refuses. A {@link JsonMappingException}, so Jackson adds the
 * field's path on the way out; {@code ProblemMappers} answers 422 {@code CONTROL_CHARACTER} naming that field.
 */
public class ControlCharacterException extends JsonMappingException {

    public ControlCharacterException(JsonParser parser, String message) {
        super(parser, message);
    }
}
