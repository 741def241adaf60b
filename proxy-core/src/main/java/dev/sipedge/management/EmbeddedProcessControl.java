package dev.sipedge.management;

import dev.sipedge.proxy.DrainGate;
import java.util.Objects;

/**
 * The lifecycle seen by the management API of a proxy started from settings made in code (an
 * embedder's, a test's): it drains when its gate does, and has no configuration file to reload.
 */
public final class EmbeddedProcessControl implements ProcessControl {
    private final DrainGate gate;

    public EmbeddedProcessControl(DrainGate gate) {
        this.gate = Objects.requireNonNull(gate, "gate");
    }

    @Override
    public boolean draining() {
        return gate.draining();
    }

    @Override
    public ReloadOutcome reload() {
        return new ReloadOutcome.Refused("this proxy was started from settings in code: there is no configuration file to reload");
    }
}
