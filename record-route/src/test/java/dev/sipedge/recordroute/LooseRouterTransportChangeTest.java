package dev.sipedge.recordroute;

/** In on UDP, out on TCP at the same address: double Record-Route (RFC 5658). */
class LooseRouterTransportChangeTest extends LooseRouterTestBase {

    @Override
    LocalInterface inbound() {
        return new LocalInterface("203.0.113.5", 5060, "udp");
    }

    @Override
    LocalInterface outbound() {
        return new LocalInterface("203.0.113.5", 5060, "tcp");
    }
}
