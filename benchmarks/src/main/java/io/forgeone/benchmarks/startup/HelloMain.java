package io.forgeone.benchmarks.startup;

/** The smallest Java program, run as a process: the floor under any JVM command's start-up. */
public final class HelloMain {

    private HelloMain() {
    }

    public static void main(String[] args) {
        System.out.println("hello from java");
    }
}
