package io.eventstream.features.events;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Which data fields of each record type are {@link Personal}, read once from the annotations. */
public final class PersonalFields {
    private static final Map<Class<?>, List<String>> CACHE = new ConcurrentHashMap<>();

    private PersonalFields() {}

    /** Record component names (Java names) of a data class that are marked personal. */
    public static List<String> of(Class<? extends EventData> dataClass) {
        return CACHE.computeIfAbsent(dataClass, c -> {
            List<String> names = new ArrayList<>();
            for (RecordComponent component : c.getRecordComponents()) {
                if (component.isAnnotationPresent(Personal.class)) {
                    names.add(component.getName());
                }
            }
            return List.copyOf(names);
        });
    }
}
