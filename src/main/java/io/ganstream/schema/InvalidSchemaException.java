package io.ganstream.schema;

/** A dataset schema that cannot be used; the message is the reason, fit to show a user. */
public class InvalidSchemaException extends Exception {
    public InvalidSchemaException(String message) {
        super(message);
    }
}
