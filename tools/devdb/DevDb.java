import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;

/**
 * Development database: mongo-java-server on loopback.
 * Usage: DevDb [h2-file] — with a file, data persists (H2 backend); without, it lives in memory.
 * Binds DEVDB_PORT when set (a test restarts a killed server on its old port), else a free port.
 * Prints "ready <port>" once bound; stops on SIGTERM or when its parent closes stdin.
 */
public final class DevDb {
  public static void main(String[] args) throws Exception {
    MongoBackend backend = args.length > 0 ? new H2Backend(args[0]) : new MemoryBackend();
    MongoServer server = new MongoServer(backend);
    String port = System.getenv("DEVDB_PORT");
    server.bind("127.0.0.1", port == null ? 0 : Integer.parseInt(port));
    InetSocketAddress address = server.getLocalAddress();
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
    System.out.println("ready " + address.getPort());
    System.out.flush();
    while (System.in.read() != -1) { /* parent alive */ }
    System.exit(0);
  }
}
