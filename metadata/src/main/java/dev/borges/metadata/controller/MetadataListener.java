package dev.borges.metadata.controller;

import dev.borges.metadata.image.MetadataDelta;
import dev.borges.metadata.image.MetadataImage;

/**
 * Told about every committed metadata change, in commit order, on the state machine's apply thread.
 * On registration a listener first gets the current image as a delta from the empty image (unless
 * the image is empty), on the registering thread, so it never misses or repeats a change (calls
 * never overlap: registration and publication share a lock). Must be quick and must not wait for a
 * controller future (that future completes only after the listener returns): hand work off.
 */
@FunctionalInterface
public interface MetadataListener {
    void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage);
}
