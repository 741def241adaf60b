package dev.sipedge.ctl;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.net.URI;
import java.util.Optional;

/**
 * Where the management API is and its token: {@code --url}/{@code --token}, else
 * {@code sipedge.management} of the config file ({@code --config}, default
 * {@code conf/sipedge.conf}, then {@code $SIPEDGE_HOME/conf/sipedge.conf}), over the same
 * reference defaults the proxy uses.
 */
record CtlEndpoint(URI base, Optional<String> token) {

    static CtlEndpoint resolve(CtlOptions o) {
        if (o.url().isPresent() && o.token().isPresent()) {
            return of(o.url().get(), o.token());
        }
        Config m = config(o.config()).getConfig("sipedge.management");
        Optional<String> fileToken = m.hasPath("token")
                ? Optional.of(m.getString("token")).filter(t -> !t.isEmpty()) : Optional.empty();
        return of(o.url().orElse("http://" + reachable(m.getString("listen"))), o.token().or(() -> fileToken));
    }

    private static CtlEndpoint of(String url, Optional<String> token) {
        try {
            URI base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (base.getScheme() == null || base.getHost() == null) {
                throw new CtlOptions.UsageException("--url must be like http://127.0.0.1:8080, got " + url);
            }
            return new CtlEndpoint(base, token);
        } catch (IllegalArgumentException e) {
            throw new CtlOptions.UsageException("bad --url " + url + ": " + e.getMessage());
        }
    }

    /** A wildcard listen address is reached on loopback. */
    private static String reachable(String listen) {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new CtlOptions.UsageException("sipedge.management.listen: expected host:port, got '" + listen + "'");
        }
        String host = listen.substring(0, colon);
        String port = listen.substring(colon + 1);
        if (host.equals("0.0.0.0") || host.equals("[::]") || host.equals("::")) {
            host = "127.0.0.1";
        } else if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + port;
    }

    private static Config config(Optional<String> given) {
        File file = given.map(File::new).orElseGet(CtlEndpoint::defaultFile);
        if (given.isPresent() && !file.isFile()) {
            throw new CtlOptions.UsageException("config file not found: " + file);
        }
        try {
            Config base = file != null && file.isFile() ? ConfigFactory.parseFile(file) : ConfigFactory.empty();
            return base.withFallback(ConfigFactory.defaultReference()).resolve();
        } catch (ConfigException e) {
            throw new CtlOptions.UsageException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static File defaultFile() {
        File local = new File("conf/sipedge.conf");
        if (local.isFile()) {
            return local;
        }
        String home = System.getenv("SIPEDGE_HOME");
        return home == null ? null : new File(home, "conf/sipedge.conf");
    }
}
