package org.foureyes.server.resources;

import org.foureyes.server.db.TestDatabase;

class WorkflowAppOnPostgresTest extends WorkflowAppTestBase {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
