package io.hemolink.contracts.isbt;

/** A donation identification number that is not valid ISBT 128; {@link #reason()} says why, for machines. */
public class InvalidDinException extends IllegalArgumentException {

    /** What is wrong with the DIN. */
    public enum Reason {
        /** missing, or not 13 data characters (+ check character, or + flags after '=') */
        LENGTH,
        /** characters other than A-Z and 0-9 where they must be, or a year/sequence that is not digits */
        FORMAT,
        /** the facility code does not start with A-N, P-Z or 1-9 */
        FACILITY,
        /** the check character does not match the 13 data characters */
        CHECK_CHARACTER
    }

    private final Reason reason;

    public InvalidDinException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
