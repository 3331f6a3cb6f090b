package dev.lsr.app;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.net.URI;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The product's main classes as the app module's tests see them: every module's {@code dev.lsr} classes,
 * without test classes (a module's {@code target/test-classes} or its {@code -tests.jar}).
 */
final class MainClasses {

    private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar.*");

    /** What a class's module is: the class root it was loaded from (a {@code target/classes} or a jar). */
    private static final Pattern CLASS_ROOT = Pattern.compile("^(.*?)/dev/lsr/.*$");

    private static final ImportOption MAIN_CODE =
            (Location location) -> !location.contains("/test-classes/") && !location.matches(TEST_JAR);

    private MainClasses() {}

    static JavaClasses all() {
        return new ClassFileImporter().withImportOption(MAIN_CODE).importPackages("dev.lsr");
    }

    /** The classes of one module: those loaded from the class root that holds {@code anchor}. */
    static JavaClasses moduleOf(Class<?> anchor) {
        String classFile = anchor.getName().substring(anchor.getPackageName().length() + 1) + ".class";
        URI root = URI.create(
                classRoot(anchor.getName(), anchor.getResource(classFile).toString()) + "/");
        return new ClassFileImporter().withImportOption(MAIN_CODE).importLocations(Set.of(Location.of(root)));
    }

    /** The module a class comes from: its class root, e.g. {@code file:/…/recorder/target/classes}, or "?" if unknown. */
    static String moduleOf(JavaClass javaClass) {
        return javaClass
                .getSource()
                .map(source -> classRoot(javaClass.getName(), source.getUri().toString()))
                .orElse("?");
    }

    /** A short name for a class root: the module folder ({@code recorder}) or the jar's name. */
    static String shortName(String classRoot) {
        String root = classRoot.endsWith("!") ? classRoot.substring(0, classRoot.length() - 1) : classRoot;
        if (root.endsWith("/target/classes")) {
            root = root.substring(0, root.length() - "/target/classes".length());
        }
        return root.substring(root.lastIndexOf('/') + 1);
    }

    /** In an {@code internal} package of ours ({@code dev.lsr....internal...}). */
    static boolean isInternal(JavaClass javaClass) {
        String name = javaClass.getPackageName();
        return name.startsWith("dev.lsr.") && (name.endsWith(".internal") || name.contains(".internal."));
    }

    /** Public, and so is every class it is nested in (not anonymous, not local). */
    static boolean effectivelyPublic(JavaClass type) {
        for (JavaClass c = type; c != null; c = c.getEnclosingClass().orElse(null)) {
            if (!c.getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
        }
        return !type.isAnonymousClass() && !type.isLocalClass();
    }

    private static String classRoot(String className, String classFileUri) {
        var matcher = CLASS_ROOT.matcher(classFileUri);
        if (!matcher.matches()) {
            throw new IllegalStateException("no class root in " + classFileUri + " for " + className);
        }
        return matcher.group(1);
    }
}
