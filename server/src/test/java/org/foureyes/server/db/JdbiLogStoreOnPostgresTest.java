package org.foureyes.server.db;

class JdbiLogStoreOnPostgresTest extends JdbiLogStoreTestBase {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
