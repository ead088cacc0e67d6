package dutygraph.neo4j;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import sun.misc.Signal;

/**
 * Embedded Neo4j Community DBMS with an authenticated Bolt connector on 127.0.0.1.
 * Usage: Serve [--port N] [--data DIR] [--password P] [--page-cache SIZE] [--setting KEY=VALUE]...
 *              [--schema FILE]
 * Prints "READY bolt://127.0.0.1:N" once Bolt is up; SIGTERM/SIGINT shut the DBMS down cleanly
 * and exit 0. SIZE is Neo4j's notation (256m, 2g); --setting passes any Neo4j setting through.
 * --schema runs FILE's Cypher statements (each ending with ';' at the end of a line) in the
 * default database and waits for the indexes to come online before READY: the constraints and
 * indexes of a bulk import, which Community's importer cannot build for the record format.
 */
public final class Serve {
    private static final String USAGE =
            "usage: [--port N] [--data DIR] [--password P] [--page-cache SIZE] [--setting KEY=VALUE]... [--schema FILE]";

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            System.err.println("neo4j serve: " + (root.getMessage() != null ? root.getMessage() : root));
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        int port = 7687;
        Path data = Path.of("data");
        String password = "dutygraph-dev";
        String pageCache = "256m";
        Path schema = null;
        Map<String, String> settings = new HashMap<>();
        if (args.length % 2 != 0) throw new IllegalArgumentException(USAGE);
        for (int i = 0; i < args.length; i += 2) { // later options win
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--data" -> data = Path.of(args[i + 1]);
                case "--password" -> password = args[i + 1];
                case "--page-cache" -> pageCache = args[i + 1];
                case "--schema" -> schema = Path.of(args[i + 1]);
                case "--setting" -> {
                    String[] kv = args[i + 1].split("=", 2);
                    if (kv.length != 2) throw new IllegalArgumentException("--setting needs KEY=VALUE, got " + args[i + 1]);
                    settings.put(kv[0], kv[1]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; " + USAGE);
            }
        }

        List<String> statements = schema == null ? List.of() : readStatements(schema);
        try (ServerSocket probe = new ServerSocket()) { // fail fast, before the slow DBMS start
            probe.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (BindException e) {
            throw new IOException("127.0.0.1:" + port + " is already in use");
        }

        // Neo4j's own logs go to DIR/logs; databases to DIR/data.
        // --setting values go through a properties file: the builder parses and validates them.
        Path conf = Files.createTempFile("dutygraph-serve", ".conf");
        StringBuilder lines = new StringBuilder();
        settings.forEach((key, value) -> lines.append(key).append('=').append(value).append('\n'));
        Files.writeString(conf, lines);
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(data.toAbsolutePath());
        // Plugins (APOC core) are those Maven copied beside serve.jar; --setting may override.
        Path plugins = Path.of(Serve.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolveSibling("plugins");
        builder.setConfig(GraphDatabaseSettings.plugin_dir, plugins)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"));
        builder.loadPropertiesFromFile(conf);
        Files.delete(conf);
        DatabaseManagementService dbms = builder
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pageCache))
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0) // else ~10 s stop
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> System.exit(0)); // runs the hook, exits 0
        }

        setPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
        if (!statements.isEmpty()) {
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            for (String statement : statements) db.executeTransactionally(statement);
            db.executeTransactionally("CALL db.awaitIndexes(3600)");
        }
        checkBolt(port);
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The statements of a schema file: each ends with ';' at the end of a line; blank lines
     *  and lines starting with // are skipped. Read before the DBMS starts, so a bad path fails fast. */
    static List<String> readStatements(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("--schema " + file + ": no such file");
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("//")) continue;
            current.append(current.length() > 0 ? " " : "").append(trimmed);
            if (trimmed.endsWith(";")) {
                statements.add(current.substring(0, current.length() - 1).strip());
                current.setLength(0);
            }
        }
        if (current.length() > 0) throw new IOException("--schema " + file + ": the last statement has no ';'");
        return statements;
    }

    /** Sets the password of user neo4j, whatever it was before (fresh or existing data). */
    private static void setPassword(GraphDatabaseService system, String password) {
        // Neo4j refuses to "change" a password to its current value, so pass through a random one.
        for (String pw : new String[] {UUID.randomUUID().toString(), password}) {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", pw));
        }
    }

    /** Bolt handshake against our own listener: offers Bolt 5.0-5.8 and 4.4. */
    private static void checkBolt(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            for (int word : new int[] {0x6060B017, 0x00080805, 0x00000404, 0, 0}) out.writeInt(word);
            out.flush();
            if (new DataInputStream(socket.getInputStream()).readInt() == 0) {
                throw new IOException("Bolt handshake on port " + port + " agreed no version");
            }
        }
    }
}
