package ring0.build;

/** A build cannot be done; the message says why and what to install, for people. */
public final class BuildException extends Exception {
    public BuildException(String message) {
        super(message);
    }
}
