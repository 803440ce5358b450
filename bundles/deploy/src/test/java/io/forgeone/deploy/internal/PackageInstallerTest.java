package io.forgeone.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PackageInstallerTest {

    @Test
    void theStoreFolderIsResolvedAsTheStoreResolvesIt() {
        assertEquals(Path.of("/node/var/packages"), PackageInstaller.storeDirectory(null, "/node/var"));
        assertEquals(Path.of("/node/var/pk"), PackageInstaller.storeDirectory("pk", "/node/var"));
        assertEquals(Path.of("/srv/pk"), PackageInstaller.storeDirectory("/srv/pk", "/node/var"));
        assertEquals(Path.of("/node/var/packages"), PackageInstaller.storeDirectory(" ", "/node/var"));
    }

    @Test
    void onlyPackageFilesAreHandled() {
        assertTrue(Deployments.isPackageFile(Path.of("/d/app.forgepkg")));
        assertFalse(Deployments.isPackageFile(Path.of("/d/app.jar")));
        assertFalse(Deployments.isPackageFile(Path.of("/d/.app.forgepkg")), "hidden files are half-copied ones");
        assertFalse(Deployments.isPackageFile(Path.of("/d/app.forgepkg.part")));
        assertFalse(Deployments.isPackageFile(Path.of("/")));
    }
}
