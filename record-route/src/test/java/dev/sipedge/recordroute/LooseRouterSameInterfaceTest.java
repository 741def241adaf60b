package dev.sipedge.recordroute;

/** In and out on the same UDP socket: one Record-Route entry. */
class LooseRouterSameInterfaceTest extends LooseRouterTestBase {

    @Override
    LocalInterface inbound() {
        return new LocalInterface("203.0.113.5", 5060, "udp");
    }

    @Override
    LocalInterface outbound() {
        return inbound();
    }
}
