package org.foureyes.server.resources;

import org.foureyes.server.db.TestDatabase;

class WorkflowAppOnSqliteTest extends WorkflowAppTestBase {
    @Override
    TestDatabase database() {
        return TestDatabase.sqlite();
    }
}
