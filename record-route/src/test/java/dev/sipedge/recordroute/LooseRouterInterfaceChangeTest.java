package dev.sipedge.recordroute;

/** In on a public TCP interface, out on a private UDP one: double Record-Route (RFC 5658). */
class LooseRouterInterfaceChangeTest extends LooseRouterTestBase {

    @Override
    LocalInterface inbound() {
        return new LocalInterface("sbc.example.com", 5080, "TCP");
    }

    @Override
    LocalInterface outbound() {
        return new LocalInterface("[2001:db8::5]", 5060, "udp");
    }
}
