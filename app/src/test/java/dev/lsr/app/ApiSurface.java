package dev.lsr.app;

import com.tngtech.archunit.core.domain.JavaClass;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The public surface of one library module, as text: every effectively public type outside the
 * {@code internal} packages (by name), with its public and protected fields, constructors and methods
 * (generic signatures, sorted), so that the same code always renders the same text.
 *
 * @param types each type's header line and its members, in the order rendered
 */
record ApiSurface(Map<String, TreeSet<String>> types) {

    static ApiSurface of(Iterable<JavaClass> moduleClasses) {
        Map<String, Class<?>> byName = new TreeMap<>();
        for (JavaClass javaClass : moduleClasses) {
            if (isApi(javaClass)) {
                byName.put(javaClass.getName(), javaClass.reflect());
            }
        }
        Map<String, TreeSet<String>> types = new LinkedHashMap<>();
        byName.values().forEach(type -> types.put(header(type), members(type)));
        return new ApiSurface(types);
    }

    /** One type per paragraph: its header, then one indented line per member. */
    String render() {
        StringBuilder text = new StringBuilder();
        types.forEach((header, members) -> {
            text.append(header).append('\n');
            members.forEach(member -> text.append("  ").append(member).append('\n'));
            text.append('\n');
        });
        return text.toString();
    }

    /** Parses what {@link #render()} wrote. */
    static ApiSurface parse(String text) {
        Map<String, TreeSet<String>> types = new LinkedHashMap<>();
        TreeSet<String> current = null;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                current = null;
            } else if (line.startsWith("  ") && current != null) {
                current.add(line.substring(2));
            } else {
                current = new TreeSet<>();
                types.put(line, current);
            }
        }
        return new ApiSurface(types);
    }

    /** What changed from {@code baseline} to this surface, one line per type or member, or "" when nothing did. */
    String diffFrom(ApiSurface baseline) {
        List<String> lines = new ArrayList<>();
        Set<String> headers = new LinkedHashSet<>(baseline.types.keySet());
        headers.addAll(types.keySet());
        for (String header : headers) {
            TreeSet<String> now = types.get(header);
            TreeSet<String> before = baseline.types.get(header);
            if (before == null) {
                lines.add("+ " + header + (now.isEmpty() ? "" : " (" + now.size() + " members)"));
            } else if (now == null) {
                lines.add("- " + header);
            } else {
                for (String member : before) {
                    if (!now.contains(member)) {
                        lines.add("- " + header + "\n-     " + member);
                    }
                }
                for (String member : now) {
                    if (!before.contains(member)) {
                        lines.add("+ " + header + "\n+     " + member);
                    }
                }
            }
        }
        return String.join("\n", lines);
    }

    private static boolean isApi(JavaClass javaClass) {
        return !MainClasses.isInternal(javaClass) && MainClasses.effectivelyPublic(javaClass);
    }

    private static String header(Class<?> type) {
        List<String> words = new ArrayList<>();
        int modifiers = type.getModifiers();
        words.add(Modifier.isPublic(modifiers) ? "public" : "protected");
        if (type.getEnclosingClass() != null
                && Modifier.isStatic(modifiers)
                && !type.isInterface()
                && !type.isEnum()
                && !type.isRecord()) {
            words.add("static");
        }
        if (type.isSealed()) {
            words.add("sealed");
        } else if (Modifier.isFinal(modifiers) && !type.isEnum() && !type.isRecord()) {
            words.add("final");
        }
        if (Modifier.isAbstract(modifiers) && !type.isInterface()) {
            words.add("abstract");
        }
        words.add(
                type.isAnnotation()
                        ? "@interface"
                        : type.isInterface()
                                ? "interface"
                                : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class");
        words.add(type.getName() + typeParameters(type.getTypeParameters()));
        Type superclass = type.getGenericSuperclass();
        if (superclass != null
                && superclass != Object.class
                && superclass != Record.class
                && !(type.isEnum() && type.getSuperclass() == Enum.class)) {
            words.add("extends " + superclass.getTypeName());
        }
        if (type.getGenericInterfaces().length > 0 && !type.isAnnotation()) {
            words.add((type.isInterface() ? "extends " : "implements ") + names(type.getGenericInterfaces()));
        }
        if (type.isSealed()) {
            words.add("permits "
                    + Arrays.stream(type.getPermittedSubclasses())
                            .map(Class::getName)
                            .collect(Collectors.joining(", ")));
        }
        return String.join(" ", words);
    }

    private static TreeSet<String> members(Class<?> type) {
        TreeSet<String> members = new TreeSet<>();
        for (Field field : type.getDeclaredFields()) {
            if (visible(field.getModifiers()) && !field.isSynthetic()) {
                members.add(
                        modifiers(field.getModifiers()) + field.getGenericType().getTypeName() + " " + field.getName());
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor.getModifiers()) && !constructor.isSynthetic()) {
                members.add(modifiers(constructor.getModifiers()) + typeParametersAndSpace(constructor) + "<init>"
                        + parameters(constructor));
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (visible(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
                int modifiers = type.isInterface() ? method.getModifiers() & ~Modifier.ABSTRACT : method.getModifiers();
                members.add(modifiers(modifiers) + (method.isDefault() ? "default " : "")
                        + typeParametersAndSpace(method)
                        + method.getGenericReturnType().getTypeName() + " " + method.getName() + parameters(method));
            }
        }
        return members;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String modifiers(int modifiers) {
        String text = Modifier.toString(modifiers
                & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL | Modifier.ABSTRACT));
        return text.isEmpty() ? "" : text + " ";
    }

    private static String parameters(Executable executable) {
        String parameters = "(" + names(executable.getGenericParameterTypes()) + ")";
        Type[] thrown = executable.getGenericExceptionTypes();
        return thrown.length == 0 ? parameters : parameters + " throws " + names(thrown);
    }

    private static String typeParametersAndSpace(Executable executable) {
        String parameters = typeParameters(executable.getTypeParameters());
        return parameters.isEmpty() ? "" : parameters + " ";
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        return Arrays.stream(variables)
                .map(v -> {
                    Type[] bounds = v.getBounds();
                    boolean plain = bounds.length == 1 && bounds[0] == Object.class;
                    return plain
                            ? v.getName()
                            : v.getName() + " extends "
                                    + Arrays.stream(bounds)
                                            .map(Type::getTypeName)
                                            .collect(Collectors.joining(" & "));
                })
                .collect(Collectors.joining(", ", "<", ">"));
    }

    private static String names(Type[] types) {
        return Arrays.stream(types).map(Type::getTypeName).collect(Collectors.joining(", "));
    }
}
