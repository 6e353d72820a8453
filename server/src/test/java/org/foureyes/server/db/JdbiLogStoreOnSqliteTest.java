package org.foureyes.server.db;

class JdbiLogStoreOnSqliteTest extends JdbiLogStoreTestBase {
    @Override
    TestDatabase database() {
        return TestDatabase.sqlite();
    }
}
