package dev.lsr.kafka.junit;

import dev.lsr.kafka.junit.internal.SuiteBroker;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * JUnit extension handing tests a real {@link KafkaBroker}: as a test or lifecycle method
 * parameter, or in a non-final field of type {@code KafkaBroker} (static or not).
 *
 * <p>One broker serves the whole test JVM: started on first use, stopped when the JUnit run ends.
 * Backend: the system property {@code lsr.kafka.backend} ({@code auto}, the default,
 * {@code testcontainers} or {@code embedded}); {@code auto} runs Testcontainers'
 * {@code apache/kafka} image where containers can run ({@code ContainerReadiness}: a Docker engine answers and has
 * or can pull the images), else the embedded KRaft broker.
 * The property {@code lsr.kafka.image} overrides the image, which defaults to the build's Kafka
 * version.
 */
public final class KafkaBrokerExtension implements ParameterResolver, TestInstancePostProcessor, BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return broker(extensionContext);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        for (Field field : brokerFields(context.getRequiredTestClass())) {
            if (Modifier.isStatic(field.getModifiers())) {
                field.set(null, broker(context));
            }
        }
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws IllegalAccessException {
        for (Field field : brokerFields(testInstance.getClass())) {
            if (!Modifier.isStatic(field.getModifiers())) {
                field.set(testInstance, broker(context));
            }
        }
    }

    /** The JVM-wide broker, started on first use and closed with JUnit's root store. */
    private static KafkaBroker broker(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(SuiteBroker.class, key -> SuiteBroker.start(), SuiteBroker.class);
    }

    private static List<Field> brokerFields(Class<?> testClass) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getType() != KafkaBroker.class) {
                    continue;
                }
                if (Modifier.isFinal(field.getModifiers())) {
                    throw new ExtensionConfigurationException("KafkaBroker field " + field + " must not be final");
                }
                field.setAccessible(true);
                fields.add(field);
            }
        }
        return fields;
    }
}
