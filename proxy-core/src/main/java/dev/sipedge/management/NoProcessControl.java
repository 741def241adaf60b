package dev.sipedge.management;

/**
 * PLACEHOLDER until the process lifecycle (graceful stop, reload) is merged: never draining, and
 * every reload refused. {@code SipEdge.start(ProxySettings)} uses it; the lifecycle passes its own
 * {@link ProcessControl} to {@code SipEdge.start(ProxySettings, ProcessControl)} instead.
 */
public final class NoProcessControl implements ProcessControl {

    @Override
    public boolean draining() {
        return false;
    }

    @Override
    public ReloadOutcome reload() {
        return new ReloadOutcome.Refused("reload not available");
    }
}
