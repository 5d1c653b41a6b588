package dev.eventual.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The examples run and print what they promise, so they cannot rot. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExamplesTest {
  private static List<String> linesOf(java.util.function.Consumer<PrintStream> example) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    example.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void primeCheckPrintsEveryNumberInInputOrder() {
    assertThat(linesOf(PrimeCheck::run))
        .containsExactly(
            "112272535095293 is prime: true",
            "112582705942171 is prime: true",
            "112272535095293 is prime: true",
            "115280095190773 is prime: true",
            "115797848077099 is prime: true",
            "1099726899285419 is prime: false");
  }

  @Test
  void liveProgressReportsEachUrlOnceWithTheFailure() {
    List<String> lines = linesOf(LiveProgress::run);
    assertThat(lines).hasSize(LiveProgress.URLS.size());
    for (int i = 0; i < lines.size(); i++) {
      assertThat(lines.get(i)).startsWith("[" + (i + 1) + "/" + LiveProgress.URLS.size() + "]");
    }
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).contains("nonexistent").contains("UnknownHostException"));
    for (String url : LiveProgress.URLS) {
      assertThat(lines).filteredOn(l -> l.contains(url)).hasSize(1);
    }
  }

  @Test
  void continueAndCombineShowsResultsInOrderAndTheFirstFailure() {
    assertThat(linesOf(ContinueAndCombine::run))
        .containsExactly(
            "1² = 1",
            "2² = 4",
            "3² = 9",
            "4² failed: java.lang.ArithmeticException: four is unlucky",
            "5² = 25",
            "flattened continuation: 42",
            "combine with a failure: java.lang.IllegalStateException: first failure");
  }

  @Test
  void deadlinesAndGuavaShowsEachConvenience() {
    assertThat(linesOf(DeadlinesAndGuava::run))
        .containsExactly(
            "lookup: WaitTimeoutException: Timed out after 100 ms",
            "lookup's task interrupted: true",
            "price: 9.99",
            "typed combine: Ada is 36",
            "doubled by Guava: 42",
            "Guava's allAsList on a FutureExecutor: [1, 4, 9]");
  }

  @Test
  void clusterPrimeCheckReportsEveryNumberOnceWithLiveProgress() {
    List<String> lines = linesOf(ClusterPrimeCheck::run);
    assertThat(lines).hasSize(1 + PrimeCheck.PRIMES.size());
    assertThat(lines.get(0)).isEqualTo("cluster of 2 members");
    List<String> progress = lines.subList(1, lines.size());
    for (int i = 0; i < progress.size(); i++) {
      assertThat(progress.get(i)).startsWith("[" + (i + 1) + "/" + PrimeCheck.PRIMES.size() + "] ");
    }
    assertThat(progress.stream().map(l -> l.substring(l.indexOf(']') + 2)).toList())
        .containsExactlyInAnyOrder(
            "112272535095293 is prime: true",
            "112582705942171 is prime: true",
            "112272535095293 is prime: true",
            "115280095190773 is prime: true",
            "115797848077099 is prime: true",
            "1099726899285419 is prime: false");
  }

  @Test
  void setAfterPrintsHelloThenWorldAboutOneSecondLater() {
    long[] times = new long[2];
    List<String> lines =
        linesOf(
            out ->
                SetAfter.run(
                    new PrintStream(out, true, StandardCharsets.UTF_8) {
                      @Override
                      public void println(String line) {
                        times[times[0] == 0 ? 0 : 1] = System.nanoTime();
                        super.println(line);
                      }
                    }));
    assertThat(lines).containsExactly("hello ...", "... world");
    long gapMillis = TimeUnit.NANOSECONDS.toMillis(times[1] - times[0]);
    assertThat(gapMillis).isBetween(900L, 10_000L);
  }

  @Test
  void fanOutShowsGatherOrderTaskGroupErrorsAndWaitForTimeout() {
    assertThat(linesOf(FanOut::run))
        .containsExactly(
            "gather: index: 500 bytes",
            "gather: about: 500 bytes",
            "gather: news: 400 bytes",
            "gather: shop: 400 bytes",
            "gather: contact: 700 bytes",
            "gather: 5 fetches overlapped: yes",
            "task group: broken-page answered 500",
            "task group: fast -> fast: 400 bytes",
            "task group: slow cancelled: true",
            "waitFor: glacial timed out after 100 ms");
  }

  @Test
  void cpuInExecutorGivesTheResultsAndKeepsTheLoopResponsive() {
    List<String> lines = linesOf(CpuInExecutor::run);
    assertThat(lines).hasSize(PrimeCheck.PRIMES.size() + 1);
    assertThat(lines.get(0)).isEqualTo("112272535095293 is prime: true");
    assertThat(lines.get(PrimeCheck.PRIMES.size() - 1))
        .isEqualTo("1099726899285419 is prime: false");
    assertThat(lines.get(PrimeCheck.PRIMES.size())).isEqualTo("the loop stayed responsive: yes");
  }

  // the asyncio docs' TCP echo server and client using protocols, in one program on 127.0.0.1
  @Test
  void echoProtocolsPrintsTheDocsConversationInOrder() {
    List<String> lines = linesOf(EchoProtocols::run);
    assertThat(lines)
        .containsSubsequence(
            "Data sent: Hello World!",
            "Data received: Hello World!",
            "Send: Hello World!",
            "Close the client socket",
            "Data received: Hello World!",
            "The server closed the connection");
    assertThat(lines).contains("Connection from 127.0.0.1").hasSize(7);
  }

  // the asyncio docs' TCP echo server and client using streams, in one program on 127.0.0.1
  @Test
  void echoStreamsPrintsTheDocsConversationInOrder() {
    List<String> lines = linesOf(EchoStreams::run);
    assertThat(lines)
        .containsExactly(
            "Serving on 127.0.0.1",
            "Send: 'Hello World!'",
            "Received 'Hello World!' from 127.0.0.1",
            "Send: 'Hello World!'",
            "Close the connection",
            "Received: 'Hello World!'",
            "Close the connection",
            "Server stopped");
  }

  // an HTTP/1.1 GET written with streams against the JDK's HttpServer on 127.0.0.1
  @Test
  void httpGetReadsTheStatusHeadersAndAContentLengthBody() {
    List<String> lines = linesOf(HttpGet::run);
    assertThat(lines)
        .containsExactly(
            "HTTP status line: HTTP/1.1 200 OK",
            "HTTP header> Content-Type: text/plain; charset=utf-8",
            "HTTP header> Content-Length: " + HttpGet.BODY.length(),
            "Body: " + HttpGet.BODY.strip());
  }

  @Test
  void workerPoolSleepsEveryItemOnceInParallelAndJoins() {
    List<String> lines = linesOf(WorkerPool::run);
    List<String> slept = lines.stream().filter(l -> l.contains(" has slept for ")).toList();
    assertThat(slept).hasSize(20);
    assertThat(slept).allMatch(l -> l.matches("worker-[012] has slept for 0\\.\\d{3} seconds"));
    assertThat(slept.stream().map(l -> l.substring(0, 8)).distinct()).hasSize(3);
    assertThat(lines.get(20)).isEqualTo("====");
    double parallel =
        Double.parseDouble(lines.get(21).replaceAll(".* for ([0-9.]+) seconds", "$1"));
    double total = Double.parseDouble(lines.get(22).replaceAll(".*: ([0-9.]+) seconds", "$1"));
    assertThat(lines.get(21)).startsWith("3 workers slept in parallel for ");
    assertThat(lines.get(22)).startsWith("total expected sleep time: ");
    assertThat(parallel).as("three workers overlap their sleeps").isLessThan(total);
  }

  @Test
  void rateLimiterNeverRunsMoreThanThreeRequestsAtOnce() {
    List<String> lines = linesOf(RateLimiter::run);
    List<String> started = lines.stream().filter(l -> l.contains(" started (")).toList();
    assertThat(started).hasSize(10);
    assertThat(started).allMatch(l -> l.matches("request \\d+ started \\([123] in flight\\)"));
    assertThat(lines)
        .endsWith(
            "10 responses, in order: response 1 .. response 10",
            "at most 3 requests ran at once (limit 3)",
            "took at least 4 rounds of 30 ms: true");
  }

  @Test
  void threadPipelineCarriesEveryLineFromThreadToLoopToThreadInOrder() {
    List<String> expected = new java.util.ArrayList<>();
    expected.add("consumer thread received:");
    for (int i = 1; i <= ThreadPipeline.LINES; i++) {
      expected.add("LINE " + i + " (" + ("line " + i).length() + " chars)");
    }
    expected.add("the loop task transformed " + ThreadPipeline.LINES + " lines");
    assertThat(linesOf(ThreadPipeline::run)).containsExactlyElementsOf(expected);
  }

  @Test
  void callGraphPrintoutShowsTheDownloadAwaitedByParseAndTheGroupsTask() {
    String text = String.join("\n", linesOf(CallGraphPrintout::run));
    assertThat(text)
        .startsWith("* Task(name='download', id=0x")
        .containsPattern("\\|   at dev\\.eventual\\.examples\\.CallGraphPrintout\\.download\\(")
        .contains("  + Awaited by:")
        .containsPattern("\\n    \\* Task\\(name='parse', id=0x")
        .containsPattern("\\|   at dev\\.eventual\\.examples\\.CallGraphPrintout\\.parse\\(")
        .containsPattern("\\n    \\* Task\\(name='Task-\\d+', id=0x")
        .containsPattern("at dev\\.eventual\\.loop\\.TaskGroup\\.run\\(")
        .endsWith("parsed 18 characters");
  }
}
