package io.eventstream.connectors.online;

/**
 * An online store backend failed (connection lost, authentication refused, database locked past
 * the busy timeout, ...). Messages never carry passwords or row values.
 */
public class OnlineStoreException extends RuntimeException {

    public OnlineStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public OnlineStoreException(String message) {
        super(message);
    }
}
