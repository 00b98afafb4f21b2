package dev.deckhand.rotate.executor;

/**
 * A managed template's SSM parameter is missing, unreadable, or names an image that does not exist:
 * the template is left as it is, and the message says which parameter and which value.
 */
final class ImageResolutionException extends RuntimeException {

    ImageResolutionException(String message) {
        super(message);
    }
}
