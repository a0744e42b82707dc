package dev.drawbridge.broker.arch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * README, "Embedding": no engine or Netty type appears in the API an embedder sees. Walks the public methods of
 * {@link Drawbridge} and, from there, of every Drawbridge type their signatures name (record components included).
 */
class EmbeddingApiTest {

    @Test
    void theEmbeddingApiNamesNoEngineOrNettyType() {
        Set<Class<?>> reached = reachableFrom(Drawbridge.class);

        // Guards against a vacuous pass: the walk must reach the types the README's example uses.
        assertThat(reached.stream().map(Class::getSimpleName)).contains("Drawbridge", "BrokerConfig", "BoundListener");
        assertThat(reached)
                .extracting(Class::getName)
                .noneMatch(name -> name.startsWith("io.netty.") || name.startsWith("dev.drawbridge.broker.engine."));
    }

    private static Set<Class<?>> reachableFrom(Class<?> root) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            Class<?> type = todo.poll();
            if (!seen.add(type) || !type.getName().startsWith("dev.drawbridge.")) {
                continue; // JDK types are named but not walked
            }
            Set<Type> named = new LinkedHashSet<>();
            for (Method method : type.getMethods()) {
                if (method.getDeclaringClass() == Object.class || !Modifier.isPublic(method.getModifiers())) {
                    continue;
                }
                named.add(method.getGenericReturnType());
                named.addAll(Arrays.asList(method.getGenericParameterTypes()));
                named.addAll(Arrays.asList(method.getGenericExceptionTypes()));
            }
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    named.add(component.getGenericType());
                }
            }
            for (Class<?> nested : type.getClasses()) {
                named.add(nested);
            }
            named.forEach(t -> addClasses(t, todo));
        }
        return seen;
    }

    private static void addClasses(Type type, Deque<Class<?>> out) {
        if (type instanceof Class<?> c) {
            out.add(c.isArray() ? c.getComponentType() : c);
        } else if (type instanceof ParameterizedType p) {
            addClasses(p.getRawType(), out);
            for (Type argument : p.getActualTypeArguments()) {
                addClasses(argument, out);
            }
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                addClasses(bound, out);
            }
            for (Type bound : w.getLowerBounds()) {
                addClasses(bound, out);
            }
        } else if (type instanceof GenericArrayType a) {
            addClasses(a.getGenericComponentType(), out);
        }
    }
}
