package ring0.loader;

/** The app cannot be loaded; the message says why, for people. */
public final class LoadException extends Exception {
    public LoadException(String message) {
        super(message);
    }
}
