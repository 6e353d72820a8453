package org.foureyes.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A managed component (or the built-in {@code policy} component).
 *
 * @param name the component's name
 * @param description what it is, for people
 * @param schema the JSON Schema every new configuration must satisfy, if any
 * @param guards CEL expressions every new configuration must satisfy, in file order
 * @param emergency the emergency change this component allows, if any
 */
public record Component(
        String name,
        String description,
        Optional<JsonNode> schema,
        List<Guard> guards,
        Optional<Emergency> emergency) {

    public Component {
        schema = schema.map(JsonNode::deepCopy);
        guards = List.copyOf(guards);
    }
}
