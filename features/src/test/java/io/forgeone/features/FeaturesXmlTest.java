package io.forgeone.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The build-time check of the features: the file is valid against Karaf's own schema (taken from the Karaf the
 * build unpacks), and every mvn: URL in it (bundles, config files) is in target/repository, so that a Karaf given
 * only that folder can install them. Whether they resolve and run is KarafFeatureIT's part.
 */
class FeaturesXmlTest {
    private static final String SCHEMA = "org/apache/karaf/features/karaf-features-1.6.0.xsd";

    private static Path property(String name) {
        String value = System.getProperty(name);
        assertTrue(value != null && !value.isBlank(), "system property " + name + " is set by features/pom.xml");
        return Path.of(value);
    }

    @Test
    void featuresMatchKarafsSchema() throws Exception {
        Path core = property("forge.karaf.home").resolve("system/org/apache/karaf/features/org.apache.karaf.features.core")
                .resolve("4.4.10/org.apache.karaf.features.core-4.4.10.jar");
        try (JarFile jar = new JarFile(core.toFile())) {
            ZipEntry xsd = jar.getEntry(SCHEMA);
            assertTrue(xsd != null, SCHEMA + " is in " + core);
            try (InputStream schema = jar.getInputStream(xsd)) {
                SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(new StreamSource(schema))
                        .newValidator().validate(new StreamSource(property("forge.features.xml").toFile()));
            }
        }
    }

    @Test
    void everyArtifactOfTheFeaturesIsInTheRepository() throws Exception {
        Path repository = property("forge.features.repository");
        List<String> urls = mvnUrls(property("forge.features.xml"));
        assertTrue(urls.size() >= 10, "the features list their bundles: " + urls);
        List<String> missing = new ArrayList<>();
        for (String url : urls) {
            if (!Files.isRegularFile(repository.resolve(path(url)))) {
                missing.add(url + " (" + path(url) + ")");
            }
        }
        assertEquals(List.of(), missing, "artifacts of features.xml missing from " + repository
                + ": add a <dependency> for each to features/pom.xml");
        assertTrue(Files.isRegularFile(repository.resolve(path("mvn:io.forgeone/forgeone-features/"
                + System.getProperty("forge.features.version") + "/xml/features"))), "features.xml itself is in the repository");
    }

    @Test
    void mvnUrlsMapToTheMavenLayout() {
        assertEquals("org/a/b/x/1.0/x-1.0.jar", path("mvn:org.a.b/x/1.0"));
        assertEquals("io/f/f/2-SNAPSHOT/f-2-SNAPSHOT-features.xml", path("mvn:io.f/f/2-SNAPSHOT/xml/features"));
        assertEquals("g/a/1/a-1.yaml", path("mvn:g/a/1/yaml"));
    }

    @Test
    void theMainFeatureHasNoBundleTwice() throws Exception {
        List<String> urls = mvnUrls(property("forge.features.xml"));
        assertEquals(urls.stream().distinct().count(), urls.size(), "duplicate bundle in " + urls);
        assertFalse(urls.stream().anyMatch(u -> u.contains("${")), "unfiltered placeholders: " + urls);
    }

    /**
     * Each {@code <config>} of the features sets only properties that its component declares (the names in the
     * bundles' metatype, where a method {@code policy_dir()} is the property {@code policy.dir}): a misspelt key
     * would be ignored by the component, which would then keep its files in Karaf's working directory.
     */
    @Test
    void everyConfiguredPropertyIsOneTheComponentDeclares() throws Exception {
        Map<String, Set<String>> declared = declaredProperties(property("forge.features.repository"));
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(property("forge.features.xml").toFile());
        NodeList configs = doc.getElementsByTagNameNS("*", "config");
        assertTrue(configs.getLength() > 0, "the features configure the components");
        for (int i = 0; i < configs.getLength(); i++) {
            Element config = (Element) configs.item(i);
            String pid = config.getAttribute("name");
            Set<String> known = declared.get(pid);
            assertTrue(known != null, "no bundle of the features declares configuration " + pid + " (metatype)");
            Properties props = new Properties();
            props.load(new StringReader(config.getTextContent()));
            for (String key : props.stringPropertyNames()) {
                assertTrue(known.contains(key), "configuration " + pid + " sets " + key + ", which its component does "
                        + "not declare; it declares " + new TreeSet<>(known));
            }
        }
    }

    /** PID to the property names its metatype declares, from every ForgeOne bundle in the repository. */
    private static Map<String, Set<String>> declaredProperties(Path repository) throws Exception {
        Map<String, Set<String>> byPid = new HashMap<>();
        List<Path> jars;
        try (Stream<Path> files = Files.walk(repository.resolve("io/forgeone"))) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).collect(Collectors.toList());
        }
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (JarEntry entry : Collections.list(file.entries())) {
                    if (!entry.getName().startsWith("OSGI-INF/metatype/") || !entry.getName().endsWith(".xml")) {
                        continue;
                    }
                    Document doc;
                    try (InputStream in = file.getInputStream(entry)) {
                        doc = factory.newDocumentBuilder().parse(in);
                    }
                    Map<String, Set<String>> byOcd = new HashMap<>();
                    NodeList ocds = doc.getElementsByTagNameNS("*", "OCD");
                    for (int i = 0; i < ocds.getLength(); i++) {
                        Element ocd = (Element) ocds.item(i);
                        Set<String> ids = new HashSet<>();
                        NodeList ads = ocd.getElementsByTagNameNS("*", "AD");
                        for (int j = 0; j < ads.getLength(); j++) {
                            ids.add(((Element) ads.item(j)).getAttribute("id"));
                        }
                        byOcd.put(ocd.getAttribute("id"), ids);
                    }
                    NodeList designates = doc.getElementsByTagNameNS("*", "Designate");
                    for (int i = 0; i < designates.getLength(); i++) {
                        Element designate = (Element) designates.item(i);
                        Element object = (Element) designate.getElementsByTagNameNS("*", "Object").item(0);
                        Set<String> ids = byOcd.getOrDefault(object.getAttribute("ocdref"), Set.of());
                        byPid.computeIfAbsent(designate.getAttribute("pid"), k -> new HashSet<>()).addAll(ids);
                    }
                }
            }
        }
        return byPid;
    }

    private static List<String> mvnUrls(Path featuresXml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(featuresXml.toFile());
        List<String> urls = new ArrayList<>();
        for (String tag : List.of("bundle", "configfile")) {
            NodeList nodes = doc.getElementsByTagNameNS("*", tag);
            for (int i = 0; i < nodes.getLength(); i++) {
                urls.add(((Element) nodes.item(i)).getTextContent().trim());
            }
        }
        return urls;
    }

    /** The repository path of {@code mvn:group/artifact/version[/type[/classifier]]} (type defaults to jar). */
    static String path(String url) {
        assertTrue(url.startsWith("mvn:"), "not a mvn: URL: " + url);
        String[] p = url.substring(4).split("/");
        assertTrue(p.length >= 3 && p.length <= 5, "not mvn:group/artifact/version[/type[/classifier]]: " + url);
        String type = p.length > 3 ? p[3] : "jar";
        String classifier = p.length > 4 ? "-" + p[4] : "";
        return p[0].replace('.', '/') + "/" + p[1] + "/" + p[2] + "/" + p[1] + "-" + p[2] + classifier + "." + type;
    }
}
