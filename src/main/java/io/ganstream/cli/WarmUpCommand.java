package io.ganstream.cli;

import io.ganstream.engine.nn.Dl4j;
import org.bytedeco.javacpp.Loader;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * Loads ND4J once, so JavaCPP unpacks its native libraries (ND4J, OpenBLAS: about 400 MB) into its cache, and
 * exits. The Docker image runs it at build time: the container's first start then loads them from the cache.
 */
@Command(name = "warm-up", mixinStandardHelpOptions = true,
        description = {"Unpack the native libraries (ND4J, OpenBLAS: about 400 MB) into the JavaCPP cache and exit, "
                + "so that the next start does not. The cache is -Dorg.bytedeco.javacpp.cachedir if given, else $"
                + GanstreamCommand.NATIVE_CACHE_ENV + " if set, else ~/.javacpp/cache."})
public class WarmUpCommand implements Callable<Integer> {

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        Dl4j.init();
        System.out.printf("native libraries loaded in %.1f s; JavaCPP cache: %s%n", (System.nanoTime() - start) / 1e9,
                Loader.getCacheDir());
        return 0;
    }
}
