package dev.lsr.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of issue 10, checked over every module's main classes (tests are exempt):
 * the libraries depend on no broker and no simulator, the recorder and the consumer know nothing of
 * each other, {@code internal} packages stay inside their module, and no public type hands out an
 * internal one.
 */
class ArchitectureTest {

    /** The application's packages (module app): the only product code that may use the broker or the simulator. */
    private static final String[] APP = {"dev.lsr.recorder.cli..", "dev.lsr.recorder.demo..", "dev.lsr.consumer.cli.."};

    private static final JavaClasses MAIN = MainClasses.all();

    @Test
    void onlyTheAppStartsTheEmbeddedBroker() {
        noClasses()
                .that()
                .resideOutsideOfPackages(with(APP, "dev.lsr.kafka.."))
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.lsr.kafka..")
                .because("the libraries must not carry Kafka's server classes, Scala and the broker's dependencies")
                .check(MAIN);
    }

    @Test
    void onlyTheAppRunsTheSimulator() {
        noClasses()
                .that()
                .resideOutsideOfPackages(with(APP, "dev.lsr.sim.."))
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.lsr.sim..")
                .because("letta-sim (and Jetty) is the demo's, not the product's")
                .check(MAIN);
    }

    @Test
    void theRecorderKnowsNothingOfTheConsumer() {
        noClasses()
                .that()
                .resideInAPackage("dev.lsr.recorder..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.lsr.consumer..")
                .because("the two sides of the log meet only in chunk-log")
                .check(MAIN);
    }

    @Test
    void theConsumerKnowsNothingOfTheRecorder() {
        noClasses()
                .that()
                .resideInAPackage("dev.lsr.consumer..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.lsr.recorder..")
                .because("the two sides of the log meet only in chunk-log")
                .check(MAIN);
    }

    @Test
    void internalPackagesAreUsedOnlyInsideTheirModule() {
        noClasses().should(useAnotherModulesInternals()).check(MAIN);
    }

    @Test
    void noPublicTypeExposesAnInternalOne() {
        classes()
                .that()
                .resideOutsideOfPackage("..internal..")
                .and()
                .arePublic()
                .should(exposeNoInternalType())
                .check(MAIN);
    }

    /**
     * Exposures known when this rule was written, frozen: public type -> the internal type it exposes.
     * Each entry is to go, and the test {@link #theFrozenExposuresStillExist} says when one has gone.
     */
    private static final Map<String, String> FROZEN_EXPOSURES = Map.of();

    private static String[] with(String[] packages, String more) {
        List<String> all = new ArrayList<>(List.of(packages));
        all.add(more);
        return all.toArray(String[]::new);
    }

    /** A class depends on an {@code internal} class of another module (class root: target/classes or jar). */
    private static ArchCondition<JavaClass> useAnotherModulesInternals() {
        return new ArchCondition<>("use another module's internal packages") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String module = MainClasses.moduleOf(origin);
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass().getBaseComponentType();
                    if (MainClasses.isInternal(target)
                            && target.getSource().isPresent()
                            && !MainClasses.moduleOf(target).equals(module)) {
                        events.add(SimpleConditionEvent.satisfied(
                                origin,
                                MainClasses.shortName(module) + ": "
                                        + dependency.getDescription() + " (internal to "
                                        + MainClasses.shortName(MainClasses.moduleOf(target)) + ")"));
                    }
                }
            }
        };
    }

    private static ArchCondition<JavaClass> exposeNoInternalType() {
        return new ArchCondition<>("expose no internal type in a public or protected member") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                for (Exposure exposure : exposures(type)) {
                    events.add(new SimpleConditionEvent(type, exposure.frozen(), exposure.toString()));
                }
            }
        };
    }

    @Test
    void theFrozenExposuresStillExist() {
        Set<Exposure> all = new HashSet<>();
        MAIN.forEach(type -> all.addAll(exposures(type)));
        FROZEN_EXPOSURES.forEach((owner, exposed) -> assertTrue(
                all.stream()
                        .anyMatch(e -> e.owner().equals(owner) && e.exposed().equals(exposed)),
                "the frozen exposure is gone, delete it from FROZEN_EXPOSURES: " + owner + " -> " + exposed));
    }

    /** How an effectively public type outside the internal packages names internal types in its public or protected members. */
    private static Set<Exposure> exposures(JavaClass type) {
        Set<Exposure> found = new HashSet<>();
        if (MainClasses.isInternal(type) || !MainClasses.effectivelyPublic(type)) {
            return found;
        }
        for (JavaMember member : type.getMembers()) {
            Set<JavaModifier> modifiers = member.getModifiers();
            if ((modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED))
                    && !modifiers.contains(JavaModifier.SYNTHETIC)) {
                for (JavaClass exposed : exposedTypes(member)) {
                    if (MainClasses.isInternal(exposed)) {
                        found.add(new Exposure(type.getName(), describe(member), exposed.getName()));
                    }
                }
            }
        }
        return found;
    }

    private static String describe(JavaMember member) {
        return member instanceof JavaField
                ? "field " + member.getName()
                : member instanceof JavaCodeUnit unit && unit.isConstructor()
                        ? "a constructor"
                        : "method " + member.getName();
    }

    /** A public type's member whose signature names an internal type. */
    private record Exposure(String owner, String member, String exposed) {

        boolean frozen() {
            return exposed.equals(FROZEN_EXPOSURES.get(owner));
        }

        @Override
        public String toString() {
            return owner + ": " + member + " exposes " + exposed;
        }
    }

    /** Every raw type a member's signature names: field type, or return, parameter and thrown types (with type arguments). */
    private static Set<JavaClass> exposedTypes(JavaMember member) {
        Set<JavaClass> types = new HashSet<>();
        if (member instanceof JavaField field) {
            types.addAll(field.getType().getAllInvolvedRawTypes());
        } else if (member instanceof JavaCodeUnit unit) {
            types.addAll(unit.getReturnType().getAllInvolvedRawTypes());
            for (JavaType parameter : unit.getParameterTypes()) {
                types.addAll(parameter.getAllInvolvedRawTypes());
            }
            unit.getThrowsClause().getTypes().forEach(types::add);
        }
        return types;
    }
}
