package dev.borges.cli.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
    private static final ConsumerRecord<byte[], byte[]> RECORD = record("order-1", "{\"total\": 42}");

    @Test
    void printsTheValueAloneByDefault() {
        assertThat(RecordFormat.parse(RecordFormat.DEFAULT).format(RECORD)).isEqualTo("{\"total\": 42}\n");
    }

    @Test
    void fillsEveryField() {
        String text = RecordFormat.parse("%t/%p/%o/%T %k=%s %K:%S [%h] 100%%\\n").format(RECORD);
        assertThat(text).isEqualTo("orders/2/17/1700000000000 order-1={\"total\": 42} 7:13 [source=web,trace=t1] 100%\n");
    }

    @Test
    void endsEachRecordWithOneNewline() {
        assertThat(RecordFormat.parse("%k").format(RECORD)).isEqualTo("order-1\n");
        assertThat(RecordFormat.parse("%k\\n").format(RECORD)).isEqualTo("order-1\n");
        assertThat(RecordFormat.parse("%k\\t%s\\r\\n").format(RECORD)).isEqualTo("order-1\t{\"total\": 42}\r\n");
    }

    @Test
    void printsNullKeyAndValueAsNothingWithLengthMinusOne() {
        assertThat(RecordFormat.parse("[%k][%s] %K %S").format(record(null, null))).isEqualTo("[][] -1 -1\n");
    }

    @Test
    void rejectsUnknownFieldsAndDanglingEscapes() {
        assertThatThrownBy(() -> RecordFormat.parse("%x")).hasMessageContaining("'%x'").hasMessageContaining("%k");
        assertThatThrownBy(() -> RecordFormat.parse("%s %")).hasMessageContaining("lone '%'");
        assertThatThrownBy(() -> RecordFormat.parse("\\q")).hasMessageContaining("'\\q'");
    }

    private static ConsumerRecord<byte[], byte[]> record(String key, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("source", "web".getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("trace", "t1".getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>("orders", 2, 17, 1_700_000_000_000L, TimestampType.CREATE_TIME,
            key == null ? -1 : key.length(), value == null ? -1 : value.length(), bytes(key), bytes(value), headers, Optional.empty());
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
