package dev.sipedge.dialog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.dialog.DialogStoreException;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * The store contract on PostgreSQL: a private server started by the test itself
 * ({@link PrivatePostgres}); each test gets its own schema, so they never see each other's rows.
 */
class PostgresDialogStoreTest extends DialogStoreContract {
    @Override
    String emptyDatabase() {
        return PrivatePostgres.freshSchema("t");
    }

    @Override
    String trueLiteral() {
        return "true";
    }

    @Test
    void anUnreachableServerIsOneClearErrorNamingTheUrlWithoutItsPassword() {
        DialogStoreException e = assertThrows(DialogStoreException.class, () -> JdbcDialogStore.open(
                "jdbc:postgresql://127.0.0.1:1/none?user=x&password=secret&connectTimeout=2", Clock.systemUTC()));
        assertTrue(e.getMessage().contains("cannot open the dialog database jdbc:postgresql://127.0.0.1:1/none"), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf("secret"), e.getMessage());
    }
}
