package dev.lsr.consumer.cli.internal;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether the process talks to a person at a terminal. */
public final class Terminal {

    private Terminal() {}

    /**
     * True when a console is attached and (on JDK 22+, where {@code Console.isTerminal()} exists)
     * it is a terminal. Java cannot ask about stderr alone; an attached interactive console is the
     * closest signal, and {@code --progress}/{@code --no-progress} override it.
     */
    public static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
