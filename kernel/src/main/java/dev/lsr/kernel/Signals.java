package dev.lsr.kernel;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT into a clean stop, so a command (the recorder, the demo, {@code consumer serve})
 * can finish its work and exit with its own status (0) instead of the JVM's 143/130. Uses {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}) reflectively; where that is missing it falls back to a shutdown hook that
 * stops the work within its bound (the exit status is then the JVM's).
 */
public final class Signals {

    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    /** Calls {@code stop} on SIGTERM and SIGINT; {@code fallback} runs as a shutdown hook if signals cannot be handled. */
    public static void onTermination(Runnable stop, Runnable fallback) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            InvocationHandler invocation = (Object proxy, Method method, Object[] args) -> {
                if (method.getName().equals("handle")) {
                    log.info("Received {}: stopping", args[0]);
                    stop.run();
                    return null;
                }
                return switch (method.getName()) {
                    case "toString" -> "termination-signal-handler";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                };
            };
            Object handler =
                    Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, invocation);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            for (String name : new String[] {"TERM", "INT"}) {
                handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.debug("Signal handling unavailable ({}); using a shutdown hook", e.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(fallback, "termination-fallback"));
        }
    }
}
