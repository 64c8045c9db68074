package io.hemolink.feewaiver;

import io.hemolink.contracts.person.IdNumbers;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Made-up people for the tests: valid resident ID numbers (random birth dates and sequences, correct check
 * character) and names, every one remembered so the storage test can look for all of them in the database.
 */
final class People {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜";
    private static final String GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红";
    static final Set<String> ID_NUMBERS = ConcurrentHashMap.newKeySet();
    static final Set<String> NAMES = ConcurrentHashMap.newKeySet();

    private People() {
    }

    static String idNumber() {
        LocalDate birth = LocalDate.of(1950, 1, 1).plusDays(RANDOM.nextInt(365 * 50));
        String first17 = "330106" + birth.toString().replace("-", "") + String.format("%03d", RANDOM.nextInt(1000));
        String id = first17 + IdNumbers.checkCharacter(first17);
        ID_NUMBERS.add(id);
        return id;
    }

    /** A valid number that differs from {@code id} only in its check character. */
    static String withWrongCheck(String id) {
        char right = id.charAt(17);
        char wrong = right == '1' ? '2' : '1';
        return id.substring(0, 17) + wrong;
    }

    static String name() {
        String name = "" + SURNAMES.charAt(RANDOM.nextInt(SURNAMES.length())) + GIVEN.charAt(RANDOM.nextInt(GIVEN.length()))
                + GIVEN.charAt(RANDOM.nextInt(GIVEN.length())) + GIVEN.charAt(RANDOM.nextInt(GIVEN.length()));
        NAMES.add(name);
        return name;
    }

    static List<String> all() {
        return List.copyOf(ID_NUMBERS);
    }
}
