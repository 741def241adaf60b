package dev.sipedge.dialog;

/** A {@link DialogStore} could not do what it was asked: the database is down, refused, or too new. */
public final class DialogStoreException extends RuntimeException {

    public DialogStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public DialogStoreException(String message) {
        super(message);
    }
}
