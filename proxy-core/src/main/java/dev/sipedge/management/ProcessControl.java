package dev.sipedge.management;

/**
 * What the management API asks of the running process beyond the dialog module: whether it is
 * draining (graceful stop) and a reload of the configuration file. Implemented by the process
 * lifecycle; the API only calls it.
 */
public interface ProcessControl {

    /** True from the start of a graceful stop on: {@code /health} then answers 503 draining. */
    boolean draining();

    /**
     * Re-reads the configuration file and applies what may change at run time. Blocking (file
     * I/O): never called on an event loop or shard thread.
     */
    ReloadOutcome reload();
}
