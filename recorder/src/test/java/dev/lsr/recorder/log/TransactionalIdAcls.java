package dev.lsr.recorder.log;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Denies a transactional id on a broker with the standard authorizer, and allows it again: how the tests make one
 * partition's producer unable to go on (a partition that stops) and then able again (one taken again).
 */
public final class TransactionalIdAcls {

    private TransactionalIdAcls() {}

    /** Denies every operation on {@code transactionalId} to the broker's anonymous user. */
    public static void deny(String bootstrapServers, String transactionalId) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createAcls(List.of(denial(transactionalId))).all().get();
        }
    }

    /** Removes the ACLs on {@code transactionalId} again. */
    public static void allowAgain(String bootstrapServers, String transactionalId) throws Exception {
        AclBinding denial = denial(transactionalId);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.deleteAcls(List.of(new AclBindingFilter(denial.pattern().toFilter(), AccessControlEntryFilter.ANY)))
                    .all()
                    .get();
        }
    }

    private static AclBinding denial(String transactionalId) {
        return new AclBinding(
                new ResourcePattern(ResourceType.TRANSACTIONAL_ID, transactionalId, PatternType.LITERAL),
                new AccessControlEntry("User:ANONYMOUS", "*", AclOperation.ALL, AclPermissionType.DENY));
    }
}
