package io.hemolink.common.tx;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Work to do once the current transaction has committed (and never if it rolls back): items gathered under one
 * name during a transaction are handed, de-duplicated and in order, to one action after the commit.
 */
@ApplicationScoped
public class AfterCommit {

    @Inject
    TransactionSynchronizationRegistry transactions;

    /**
     * Adds {@code item} to the set gathered under {@code name} in the current transaction; the first call registers
     * {@code action}, which receives the whole set after a successful commit. There must be a transaction.
     */
    public <T> void collect(String name, T item, Consumer<Set<T>> action) {
        Object key = AfterCommit.class.getName() + "#" + name;
        @SuppressWarnings("unchecked")
        Set<T> items = (Set<T>) transactions.getResource(key);
        if (items == null) {
            Set<T> gathered = new LinkedHashSet<>();
            transactions.putResource(key, gathered);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    // nothing to do before: the work is only for a committed transaction
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        action.accept(gathered);
                    }
                }
            });
            items = gathered;
        }
        items.add(item);
    }

    /** What has been gathered under {@code name} in the current transaction so far (empty when nothing). */
    public <T> Set<T> gathered(String name) {
        @SuppressWarnings("unchecked")
        Set<T> items = (Set<T>) transactions.getResource(AfterCommit.class.getName() + "#" + name);
        return items == null ? Set.of() : Set.copyOf(items);
    }
}
