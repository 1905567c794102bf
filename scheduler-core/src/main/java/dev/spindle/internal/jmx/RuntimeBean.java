package dev.spindle.internal.jmx;

import dev.spindle.Spindle;
import dev.spindle.metrics.SpindleMXBean;
import dev.spindle.metrics.WorkerMetrics;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.function.ToLongFunction;

/**
 * A runtime's JMX bean, and its registration in the platform MBean server. The runtime registers
 * it when built and unregisters it when its last worker exits (termination). A failure to
 * register (a security manager, say) is logged and the runtime runs without it.
 */
public final class RuntimeBean implements SpindleMXBean {
    /** How many suffixes are tried when the name is taken (another class loader's runtime). */
    private static final int MAX_SUFFIX = 1000;

    private final Spindle runtime;
    private volatile ObjectName registeredAs;

    private RuntimeBean(Spindle runtime) {
        this.runtime = runtime;
    }

    /** Registers a bean for {@code runtime}; null, after a warning, if that failed. */
    public static RuntimeBean register(Spindle runtime) {
        RuntimeBean bean = new RuntimeBean(runtime);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            for (int i = 1; i <= MAX_SUFFIX; i++) {
                String name = i == 1 ? runtime.name() : runtime.name() + "-" + i;
                ObjectName on = ObjectName.getInstance("dev.spindle:type=Runtime,name=" + name); // Spindle-<n>: nothing to quote
                try {
                    bean.registeredAs = server.registerMBean(bean, on).getObjectName();
                    return bean;
                } catch (InstanceAlreadyExistsException taken) {
                    // try the next suffix
                }
            }
            throw new JMException("every name from " + runtime.name() + " to -" + MAX_SUFFIX + " is taken");
        } catch (JMException | RuntimeException e) {
            System.getLogger("dev.spindle").log(System.Logger.Level.WARNING,
                    "runtime " + runtime.name() + " runs without its JMX bean", e);
            return null;
        }
    }

    /** The name it is registered under; null once unregistered. */
    public ObjectName objectName() {
        return registeredAs;
    }

    /** Unregisters it; harmless twice. */
    public void unregister() {
        ObjectName on = registeredAs;
        registeredAs = null;
        if (on == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(on);
        } catch (InstanceNotFoundException gone) {
            // somebody unregistered it for us
        } catch (JMException | RuntimeException e) {
            System.getLogger("dev.spindle").log(System.Logger.Level.WARNING,
                    "could not unregister the JMX bean of runtime " + runtime.name(), e);
        }
    }

    // ------------------------------------------------------------------ SpindleMXBean

    @Override
    public String getName() {
        return runtime.name();
    }

    @Override
    public String getState() {
        return runtime.isTerminated() ? "TERMINATED" : runtime.isShutdown() ? "SHUTDOWN" : "RUNNING";
    }

    @Override
    public int getWorkers() {
        return runtime.workers();
    }

    @Override
    public long getAliveTasks() {
        return runtime.metrics().aliveTasks();
    }

    @Override
    public int getInjectorDepth() {
        return runtime.metrics().injectorDepth();
    }

    @Override
    public int getExtraWorkers() {
        return runtime.metrics().extraWorkers();
    }

    @Override
    public int getBlockingThreads() {
        return runtime.metrics().blockingThreads();
    }

    @Override
    public int getIdleBlockingThreads() {
        return runtime.metrics().idleBlockingThreads();
    }

    @Override
    public int getBlockingQueueDepth() {
        return runtime.metrics().blockingQueueDepth();
    }

    @Override
    public long getPendingTimers() {
        return runtime.metrics().pendingTimers();
    }

    @Override
    public long getPolls() {
        return sum(WorkerMetrics::polls);
    }

    @Override
    public long getSteals() {
        return sum(WorkerMetrics::steals);
    }

    @Override
    public long getStolenTasks() {
        return sum(WorkerMetrics::stolenTasks);
    }

    @Override
    public long getParks() {
        return sum(WorkerMetrics::parks);
    }

    @Override
    public long getOverflows() {
        return sum(WorkerMetrics::overflows);
    }

    @Override
    public long getBudgetForcedYields() {
        return sum(WorkerMetrics::budgetForcedYields);
    }

    @Override
    public long getStalls() {
        return sum(WorkerMetrics::stalls);
    }

    private long sum(ToLongFunction<WorkerMetrics> counter) {
        return runtime.metrics().perWorker().stream().mapToLong(counter).sum();
    }

    @Override
    public long[] getPollsPerWorker() {
        return runtime.metrics().perWorker().stream().mapToLong(WorkerMetrics::polls).toArray();
    }

    @Override
    public int[] getQueueDepthPerWorker() {
        return runtime.metrics().perWorker().stream().mapToInt(w -> w.localQueueDepth() + w.inboxDepth()).toArray();
    }

    @Override
    public String dumpTasks() {
        return runtime.dumpTasks().toString();
    }
}
