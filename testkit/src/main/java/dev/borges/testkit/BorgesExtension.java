package dev.borges.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: one {@link EmbeddedBroker} for all the tests of a class, started before the first and
 * stopped (its data deleted) after the last; tests receive it as a parameter.
 *
 * <pre>{@code
 * @ExtendWith(BorgesExtension.class)
 * class OrdersTest {
 *     @Test
 *     void roundTrip(EmbeddedBroker broker) { ... broker.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * Broker settings can be given with {@link BrokerSettings} on the test class.
 */
public final class BorgesExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BorgesExtension.class);

    /** Broker settings for the class's broker, as {@code key=value} strings with Kafka's names. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface BrokerSettings {
        String[] value();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        BrokerSettings annotation = context.getRequiredTestClass().getAnnotation(BrokerSettings.class);
        if (annotation != null) {
            for (String setting : annotation.value()) {
                int equals = setting.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException("@BrokerSettings expects key=value, got '" + setting + "'");
                }
                settings.put(setting.substring(0, equals).trim(), setting.substring(equals + 1).trim());
            }
        }
        context.getStore(NAMESPACE).put(EmbeddedBroker.class, EmbeddedBroker.start(settings));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        EmbeddedBroker broker = context.getStore(NAMESPACE).remove(EmbeddedBroker.class, EmbeddedBroker.class);
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get(EmbeddedBroker.class, EmbeddedBroker.class);
    }
}
