#!/usr/bin/env bash
# Regenerates the event JSON Schemas (features/src/main/resources/schemas/) from the data records,
# then docs/event-catalogue.md from those schemas. Tests fail until the committed files match.
set -euo pipefail
cd "$(dirname "$0")/.."

maven() {
  # Offline first (the usual warm cache), online when an artifact is missing.
  mvn -B -q -o "$@" || mvn -B -q "$@"
}

maven -pl features compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
classpath="features/target/classes:$(cat features/target/classpath.txt)"
java -cp "$classpath" io.eventstream.features.validation.EventSchemaGenerator
# The catalogue reads the schemas from the classpath: copy the fresh ones there first.
maven -pl features process-resources
java -cp "$classpath" io.eventstream.features.validation.EventCatalogue
