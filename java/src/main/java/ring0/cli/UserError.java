package ring0.cli;

/** A failure the user can act on: printed as "ring0: message", exit status 1, no stack trace. */
final class UserError extends Exception {
    UserError(String message) {
        super(message);
    }

    UserError(Exception cause) {
        super(cause.getMessage());
    }
}
